from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("library/", views.library, name="library"),
    path("library/<slug:slug>/", views.article_detail, name="article_detail"),
    path("causes/", views.cause_list, name="cause_list"),
    path("causes/<slug:slug>/", views.cause_detail, name="cause_detail"),
    path("remedies/", views.remedy_list, name="remedy_list"),
    path("remedies/<slug:slug>/", views.remedy_detail, name="remedy_detail"),
    path("faq/", views.faq, name="faq"),
    path("return-to-running/", views.running_planner, name="running_planner"),
    path("search/", views.search, name="search"),
    path("search/suggest/", views.search_suggest, name="search_suggest"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
    # Site pages (About, Editorial policy) last: any other single-segment path.
    # Content validation refuses a page slug that another route already uses.
    path("<slug:slug>/", views.page_detail, name="page"),
]
