"""Single sign-on through the ministry's OpenID Connect provider (Microsoft Entra ID).

`provider` reads the provider's endpoints, `roles` maps its role claims onto the product's
groups, `services` matches and creates the users who sign in, `backends` verifies the tokens
and guards password logins, and `views` holds the sign-in, callback, sign-out and no-access
pages. Single sign-on is off unless OIDC_ISSUER and OIDC_CLIENT_ID are set.
"""
