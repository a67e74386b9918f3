"""Set-up of the partner's results framework and its mapping to priority areas."""

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views.generic import TemplateView

from priorities import services
from priorities.forms import FrameworkForm, NodeLinkForm, NodeRowForm, NodeUpdateForm
from priorities.models import PriorityAreaNode, ResultsFramework, ResultsNode
from priorities.selectors import TreeNode, framework_tree
from strategy_monitor.forms import form_add_error
from strategy_monitor.views import ServiceFormView, form_refuse

from .setup import SetUpMixin

# Blank rows under each framework's node list, for adding several nodes in one save.
NEW_NODE_ROWS = 6


@dataclass(frozen=True)
class FrameworkPanel:
    """A framework on the set-up page with the rows of its node list."""

    framework: ResultsFramework
    forms: list
    node_count: int


def _depth_first(tree: tuple[TreeNode, ...]) -> list[ResultsNode]:
    nodes = []
    for branch in tree:
        nodes.append(branch.node)
        nodes.extend(_depth_first(branch.children))
    return nodes


class FrameworkSetupView(SetUpMixin, TemplateView):
    """Add the partner's frameworks, edit each one's nodes as a list, and map nodes to areas."""

    template_name = "priorities/setup_framework.html"
    section = "priorities:framework_setup"

    @cached_property
    def frameworks(self) -> list[ResultsFramework]:
        return list(
            ResultsFramework.objects.filter(organisation_id=self.strategy.organisation_id).order_by(
                "order", "name", "pk"
            )
        )

    @cached_property
    def nodes(self) -> dict[int, list[ResultsNode]]:
        """Return each framework's nodes in list order: depth first, siblings in order."""
        frameworks = {framework.pk: framework for framework in self.frameworks}
        everything = {}
        for node in ResultsNode.objects.filter(framework_id__in=frameworks):
            node.framework = frameworks[node.framework_id]
            everything[node.pk] = node
        by_framework = defaultdict(list)
        for node in _depth_first(framework_tree(everything, set(everything))):
            by_framework[node.framework_id].append(node)
        return by_framework

    def node_forms(self, framework: ResultsFramework, data=None) -> list[NodeRowForm]:
        forms = [
            NodeRowForm(data, framework=framework, node=node, prefix=f"f{framework.pk}-n{node.pk}")
            for node in self.nodes[framework.pk]
        ]
        for number in range(NEW_NODE_ROWS):
            form = NodeRowForm(
                data,
                framework=framework,
                prefix=f"f{framework.pk}-new{number}",
                use_required_attribute=False,
            )
            form.empty_permitted = True
            forms.append(form)
        return forms

    def get_context_data(self, **kwargs):
        refused = kwargs.pop("refused", {})
        panels = [
            FrameworkPanel(
                framework=framework,
                forms=refused.get(framework.pk) or self.node_forms(framework),
                node_count=len(self.nodes[framework.pk]),
            )
            for framework in self.frameworks
        ]
        listed = [node for framework in self.frameworks for node in self.nodes[framework.pk]]
        context = {
            "panels": panels,
            "framework_form": kwargs.pop("framework_form", None) or FrameworkForm(),
            "link_form": kwargs.pop("link_form", None)
            or NodeLinkForm(strategy=self.strategy, nodes=listed),
            "links": (
                PriorityAreaNode.objects.filter(priority_area__strategy=self.strategy)
                .select_related("priority_area", "node__framework")
                .order_by(
                    "priority_area__order",
                    "priority_area__number",
                    "node__framework__order",
                    "node__level",
                    "node__code",
                    "node__key",
                )
            ),
        }
        return super().get_context_data(**context, **kwargs)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        user = request.user
        if action == "framework":
            return self.framework_post(request)
        if action == "nodes":
            framework = next(
                (item for item in self.frameworks if str(item.pk) == request.POST.get("framework")),
                None,
            )
            if framework is None:
                raise Http404("No such framework of the partner.")
            return self.nodes_post(request, framework)
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
                        request,
                        gettext("%(area)s now follows %(node)s.")
                        % {"area": link.priority_area.label, "node": link.node},
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
                    request,
                    gettext("%(area)s no longer follows %(node)s.")
                    % {"area": link.priority_area.label, "node": link.node},
                )
            return HttpResponseRedirect(request.path)
        messages.error(request, gettext("Nothing was saved: use one of the forms on the page."))
        return HttpResponseRedirect(request.path)

    def framework_post(self, request):
        form = FrameworkForm(request.POST)
        if form.is_valid():
            try:
                framework = services.framework_create(
                    organisation=self.strategy.organisation,
                    name=form.cleaned_data["name"],
                    level_names=form.cleaned_data["levels"],
                    uses_codes=form.cleaned_data["uses_codes"],
                    code_scheme=form.cleaned_data["code_scheme"],
                    code_pattern=form.cleaned_data["code_pattern"],
                    user=request.user,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "level_names" in error.error_dict:
                    errors = dict(error.error_dict)
                    errors["levels"] = errors.pop("level_names")
                    error = ValidationError(errors)
                form_add_error(form, error)
            else:
                messages.success(
                    request,
                    gettext(
                        "Results framework “%(framework)s” added with the levels %(levels)s. "
                        "Add its nodes below."
                    )
                    % {"framework": framework, "levels": ", ".join(framework.level_names)},
                )
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(framework_form=form))

    def nodes_post(self, request, framework: ResultsFramework):
        forms = self.node_forms(framework, request.POST)
        if all(form.is_valid() for form in forms):
            used = [form for form in forms if not form.is_blank]
            try:
                services.framework_nodes_save(
                    framework=framework, rows=[form.row() for form in used], user=request.user
                )
            except services.NodeRowError as error:
                form_refuse(used[error.row], error)
            else:
                messages.success(
                    request, gettext("Nodes of “%(framework)s” saved.") % {"framework": framework}
                )
                return HttpResponseRedirect(request.path)
        return self.render_to_response(self.get_context_data(refused={framework.pk: forms}))


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
        return gettext("Node %(node)s saved.") % {"node": self.object.code or self.object.key}

    def get_success_url(self) -> str:
        return reverse("priorities:framework_setup", kwargs={"slug": self.strategy.slug})
