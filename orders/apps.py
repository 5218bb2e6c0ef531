from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"

    def ready(self):
        from accounts import personal_data
        from orders.personal_data import erase, export

        personal_data.register(personal_data.Part("orders", export, erase, order=30))
