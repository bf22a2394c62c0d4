"""The "资源库" menu in every Wagtail admin; taxonomies only in the platform console."""

from __future__ import annotations

from django.db import connection
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from shared_library import admin_views, services
from shared_library.models import Genre, Resource, TopicCategory
from shared_library.permissions import LibraryPermissionPolicy

# Wagtail 8 looks the policy up in its registry (a viewset attribute is deprecated).
register_permission_policy(Resource, LibraryPermissionPolicy(Resource))


class ResourceViewSet(ModelViewSet):
    model = Resource
    name = admin_views.URL_NAMESPACE
    url_prefix = "library/resources"
    icon = "doc-full"
    menu_label = _("资源")
    index_view_class = admin_views.ResourceIndexView
    add_view_class = admin_views.ResourceCreateView
    edit_view_class = admin_views.ResourceEditView
    delete_view_class = admin_views.ResourceDeleteView
    copy_view_enabled = False
    list_display = ["title", "kind", "index_number", "status", "source_site", "publish_date"]
    list_filter = ["kind", "status", "topic", "genre", "validity", "disclosure"]
    search_fields = ["title", "index_number", "document_number", "issuing_body"]
    search_backend_name = None
    form_fields = services.EDITABLE_FIELDS

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns() + [
            path("publish/<int:pk>/", admin_views.PublishView.as_view(), name="publish"),
            path("syndicate/<int:pk>/", admin_views.SyndicateView.as_view(), name="syndicate"),
            path("syndications/", admin_views.SiteSyndicationsView.as_view(), name="site_syndications"),
            path("syndications/<int:pk>/", admin_views.SyndicationsView.as_view(), name="syndications"),
            path("withdraw/<int:pk>/", admin_views.WithdrawView.as_view(), name="withdraw"),
            path("attach/<int:pk>/", admin_views.AttachView.as_view(), name="attach"),
        ]
        # Every URL naming a resource (Wagtail's edit/history/usage/delete and ours) is scoped.
        for pattern in patterns:
            pattern.callback = admin_views.scoped(pattern.callback)
        return patterns


class PublicSchemaMenuItem(MenuItem):
    """Taxonomies are managed by platform operators, so only the console shows them."""

    def is_shown(self, request) -> bool:
        return connection.schema_name == "public" and super().is_shown(request)


class TaxonomyViewSet(ModelViewSet):
    icon = "tag"
    form_fields = ["name", "code", "ordering"]
    list_display = ["name", "code", "ordering"]
    copy_view_enabled = False
    menu_item_class = PublicSchemaMenuItem


class TopicCategoryViewSet(TaxonomyViewSet):
    model = TopicCategory
    name = "shared_library_topic"
    url_prefix = "library/topics"


class GenreViewSet(TaxonomyViewSet):
    model = Genre
    name = "shared_library_genre"
    url_prefix = "library/genres"


class LibraryViewSetGroup(ModelViewSetGroup):
    menu_label = _("资源库")
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (ResourceViewSet, TopicCategoryViewSet, GenreViewSet)


@hooks.register("register_admin_viewset")
def register_library_viewsets():
    return LibraryViewSetGroup()
