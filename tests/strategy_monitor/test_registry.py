"""The hooks through which a higher app tells a lower layer about itself."""

from strategy_monitor.registry import Hook


def test_hook_gives_its_entries_in_the_order_they_were_registered():
    hook: Hook[str] = Hook("sample", "Sample entries.")
    hook.register("first")
    hook.register("second")
    assert list(hook) == ["first", "second"]
    assert len(hook) == 2


def test_hook_puts_a_lower_order_first_whatever_the_registration_order():
    hook: Hook[str] = Hook("sample", "Sample entries.")
    hook.register("team", order=50)
    hook.register("budget", order=40)
    hook.register("front page", order=10)
    hook.register("also at ten", order=10)
    assert list(hook) == ["front page", "also at ten", "budget", "team"]


def test_hook_ignores_an_entry_registered_twice():
    hook: Hook[str] = Hook("sample", "Sample entries.")
    hook.register("once")
    hook.register("once")
    assert list(hook) == ["once"]


def test_register_returns_the_entry_so_that_it_can_decorate():
    hook: Hook = Hook("sample", "Sample entries.")

    @hook.register
    def provider():
        return 1

    assert provider() == 1
    assert list(hook) == [provider]


def test_unregister_takes_the_entry_out():
    hook: Hook[str] = Hook("sample", "Sample entries.")
    hook.register("kept")
    hook.register("planted")
    hook.unregister("planted")
    assert list(hook) == ["kept"]
    assert repr(hook) == "<Hook sample: 1 registered>"
