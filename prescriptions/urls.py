from django.urls import path

from prescriptions import views

app_name = "prescriptions"
urlpatterns = [
    path("<int:pk>/file/", views.prescription_file, name="file"),
    path("<int:pk>/files/<int:file_pk>/", views.prescription_extra_file, name="extra_file"),
    path("<int:pk>/page/<int:number>/", views.prescription_page, name="page"),
]
