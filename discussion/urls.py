from django.urls import path

app_name = "discussion"
urlpatterns: list = []
