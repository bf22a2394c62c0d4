"""Public URLs of 互动交流 and 依申请公开 on every site (included before Wagtail's page catch-all)."""

from django.urls import path

from interaction import views

app_name = "interaction"

urlpatterns = [
    path("hudong/", views.index, name="index"),
    path("hudong/xinxiang/<slug:box>/", views.write, name="write"),
    path("hudong/chaxun/", views.lookup, name="lookup"),
    path("hudong/zhaocuo/", views.report_error, name="report_error"),
    path("hudong/diaocha/<int:pk>/", views.survey, name="survey"),
    path("ysqgk/", views.disclosure, name="disclosure"),
]
