from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from members.selectors import navigation_for


def navigation(request: HttpRequest) -> dict:
    return {"navigation": SimpleLazyObject(lambda: navigation_for(user=request.user))}
