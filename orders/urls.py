from django.urls import path

from orders import views

app_name = "orders"
urlpatterns = [
    path("cart/", views.cart_detail, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("cart/update/", views.cart_update, name="cart_update"),
    path("cart/remove/", views.cart_remove, name="cart_remove"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/<str:number>/", views.order_detail, name="detail"),
    path("orders/<str:number>/prescription/", views.order_prescription, name="prescription"),
    path("orders/<str:number>/cancel/", views.order_cancel, name="cancel"),
    path("orders/<str:number>/reorder/", views.order_reorder, name="reorder"),
    path("orders/<str:number>/answer/", views.order_answer, name="answer"),
    path("account/orders/", views.order_history, name="history"),
]
