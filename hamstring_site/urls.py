from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from advice.admin_review import review_dashboard

admin.site.site_header = "Hamstring advice: editors"
admin.site.site_title = "Hamstring advice admin"
admin.site.index_title = "Content"

urlpatterns = [
    path(
        f"{settings.ADMIN_URL}reviews-due/",
        admin.site.admin_view(review_dashboard),
        name="review_dashboard",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("advice.urls")),
]

handler404 = "advice.web.views.page_not_found"
handler500 = "advice.web.views.server_error"
