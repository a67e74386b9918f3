"""Set-up of the partner's results framework and its mapping to priority areas."""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import TemplateView

from priorities import services
from priorities.forms import FrameworkForm, NodeForm, NodeLinkForm, NodeUpdateForm
from priorities.models import PriorityAreaNode, ResultsFramework, ResultsNode
from priorities.selectors import framework_tree
from strategy_monitor.forms import form_add_error
from strategy_monitor.views import ServiceFormView

from .setup import SetUpMixin


class FrameworkSetupView(SetUpMixin, TemplateView):
    """Add nodes to the partner's results framework and map them to priority areas."""

    template_name = "priorities/setup_framework.html"
    section = "priorities:framework_setup"

    @cached_property
    def framework(self) -> ResultsFramework | None:
        return (
            ResultsFramework.objects.filter(organisation_id=self.strategy.organisation_id)
            .order_by("pk")
            .first()
        )

    def get_context_data(self, **kwargs):
        context = {}
        if self.framework is None:
            context["framework_form"] = kwargs.pop("framework_form", None) or FrameworkForm()
        else:
            nodes = {node.pk: node for node in self.framework.nodes.all()}
            context["tree"] = framework_tree(nodes, set(nodes))
            context["node_form"] = kwargs.pop("node_form", None) or NodeForm(strategy=self.strategy)
            context["link_form"] = kwargs.pop("link_form", None) or NodeLinkForm(
                strategy=self.strategy
            )
            context["links"] = (
                PriorityAreaNode.objects.filter(priority_area__strategy=self.strategy)
                .select_related("priority_area", "node")
                .order_by(
                    "priority_area__order", "priority_area__number", "node__level", "node__code"
                )
            )
        return super().get_context_data(framework=self.framework, **context, **kwargs)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        user = request.user
        if action == "framework" and self.framework is None:
            form = FrameworkForm(request.POST)
            if form.is_valid():
                framework = services.framework_create(
                    organisation=self.strategy.organisation,
                    name=form.cleaned_data["name"],
                    user=user,
                )
                messages.success(request, f"Results framework “{framework}” added.")
                return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(framework_form=form))
        if self.framework is None:
            raise Http404("Add the results framework first.")
        if action == "node":
            form = NodeForm(request.POST, strategy=self.strategy)
            if form.is_valid():
                try:
                    with transaction.atomic():
                        node = services.node_create(
                            framework=self.framework,
                            code=form.cleaned_data["code"],
                            title=form.cleaned_data["title"],
                            status=form.cleaned_data["status"],
                            section=form.cleaned_data["section"],
                            user=user,
                        )
                        for area in form.cleaned_data["areas"]:
                            services.priorityarea_node_link(
                                priority_area=area, node=node, user=user
                            )
                except ValidationError as error:
                    form_add_error(form, error)
                else:
                    messages.success(request, f"Node {node.code} added.")
                    return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(node_form=form))
        if action == "link":
            form = NodeLinkForm(request.POST, strategy=self.strategy)
            if form.is_valid():
                try:
                    link = services.priorityarea_node_link(
                        priority_area=form.cleaned_data["priority_area"],
                        node=form.cleaned_data["node"],
                        user=user,
                    )
                except ValidationError as error:
                    form_add_error(form, error)
                else:
                    messages.success(
                        request, f"{link.priority_area.label} now follows {link.node}."
                    )
                    return HttpResponseRedirect(request.path)
            return self.render_to_response(self.get_context_data(link_form=form))
        if action == "unlink":
            link = (
                PriorityAreaNode.objects.filter(
                    priority_area__strategy=self.strategy, pk=request.POST.get("link")
                )
                .select_related("priority_area", "node")
                .first()
            )
            if link is None:
                raise Http404("No such mapping.")
            try:
                services.priorityarea_node_unlink(link=link, user=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, f"{link.priority_area.label} no longer follows {link.node}."
                )
            return HttpResponseRedirect(request.path)
        messages.error(request, "Nothing was saved: use one of the forms on the page.")
        return HttpResponseRedirect(request.path)


class NodeUpdateView(SetUpMixin, ServiceFormView):
    """Change a node's title and status, e.g. once the partner publishes what it developed."""

    form_class = NodeUpdateForm
    template_name = "priorities/node_form.html"
    section = "priorities:framework_setup"

    @cached_property
    def node(self) -> ResultsNode:
        try:
            return ResultsNode.objects.get(
                framework__organisation_id=self.strategy.organisation_id, pk=self.kwargs["pk"]
            )
        except ResultsNode.DoesNotExist as error:
            raise Http404("No such node in the partner's framework.") from error

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.node}

    def get_context_data(self, **kwargs):
        return super().get_context_data(node=self.node, **kwargs)

    def save(self, form):
        return services.node_update(
            node=form.instance,
            version=form.started_from,
            title=form.cleaned_data["title"],
            status=form.cleaned_data["status"],
            section=form.cleaned_data["section"],
            user=self.request.user,
        )

    def get_success_message(self) -> str:
        return f"Node {self.object.code or self.object.key} saved."

    def get_success_url(self) -> str:
        return reverse("priorities:framework_setup", kwargs={"slug": self.strategy.slug})
