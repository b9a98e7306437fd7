from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from cohorts.views.public import healthz

# Unprefixed URLs are always Bahasa Indonesia; /en/... is English. The language does
# not follow the browser's Accept-Language, so a shared link reads the same for everyone.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
]

# Uploaded files (member imports, curriculum materials) are never served from MEDIA_URL:
# only views that check permissions hand them out.

# The language switcher sits inside the prefix so it can translate /en/... links back.
urlpatterns += i18n_patterns(
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("cohorts.urls")),
    path("", include("members.urls")),
    path("curriculum/", include("curriculum.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)
