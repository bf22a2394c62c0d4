from django import template
from django.apps import apps

from tenants.content.creation import may_create

register = template.Library()


@register.simple_tag
def creatable_for(page_types, user):
    """Wagtail's (verbose_name, app_label, model_name, description) choices the user may create."""
    return [entry for entry in page_types if may_create(user, apps.get_model(entry[1], entry[2]))]
