from django.urls import path

from discussion import views

app_name = "discussion"
urlpatterns = [
    path("<int:page_id>/post/", views.post_comment, name="post"),
    path("stop/<str:token>/", views.stop_notifications, name="stop"),
]
