"""The shop on a 390-px phone (and at 1280 px): no page is wider than the viewport.

A guest opens the public pages, adds three packs from a guide's price box, reads the cart, checks out and opens
the order page; a patient opens the account pages. On every page ``document.documentElement.scrollWidth`` stays
within the viewport and no element's right edge is beyond it (elements inside a deliberately scrollable
container, such as a guide's side-effect table, are allowed to scroll, but never anything in the price box, the
cart, the checkout or the order page). Each page is checked at 390 × 844 and again at 1280 × 900.
"""

import re

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# The elements whose right edge is beyond the viewport. An element inside a container that scrolls sideways
# (overflow-x auto or scroll) is the container's business, unless that container is in the shop's own parts.
OVERFLOWING = """
() => {
  const width = document.documentElement.clientWidth;
  const shop = ".product-box, .cart-page, .checkout-page, .order-page, .account-page";
  const scrolls = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  // Inside a visually hidden box (1 px, overflow hidden): read by screen readers, never seen.
  const hidden = (el) => {
    for (let box = el.parentElement; box; box = box.parentElement) {
      const rect = box.getBoundingClientRect();
      const clips = ["hidden", "clip"].includes(getComputedStyle(box).overflowX);
      if (clips && rect.width <= 1 && rect.height <= 1) return true;
    }
    return false;
  };
  const describe = (el) => {
    const name = typeof el.className === "string" ? el.className.trim() : "";
    const classes = name ? "." + name.split(/\\s+/).join(".") : "";
    const text = (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    const right = Math.round(el.getBoundingClientRect().right);
    return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes} "${text}" right=${right}`;
  };
  const offenders = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 && box.height <= 1) continue;  // visually hidden text and empty elements
    if (box.right <= width + 0.5) continue;
    if (hidden(el)) continue;
    let container = el.parentElement;
    while (container && container !== document.body && !scrolls(container)) container = container.parentElement;
    if (container && container !== document.body && !container.closest(shop)) continue;
    offenders.push(describe(el));
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, offenders: offenders.slice(0, 12)};
}
"""


def assert_fits(page, label):
    """The page at its current size: not wider than the viewport, and no element beyond its right edge."""
    result = page.evaluate(OVERFLOWING)
    assert result["scrollWidth"] <= result["width"] and not result["offenders"], (
        f"{label} at {result['width']} px is {result['scrollWidth']} px wide; beyond the edge: {result['offenders']}"
    )


def assert_fits_phone_and_desktop(page, label):
    page.set_viewport_size(PHONE)
    assert_fits(page, label)
    page.set_viewport_size(DESKTOP)
    assert_fits(page, label)
    page.set_viewport_size(PHONE)


def assert_in_view(locator, page, what):
    """The element is visible and lies wholly within the viewport's width (no sideways scrolling to reach it)."""
    assert locator.is_visible(), f"{what} is not visible"
    box = locator.bounding_box()
    width = page.evaluate("document.documentElement.clientWidth")
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{what} is outside: {box}"


def choose_the_first_of_unanswered_choices(page):
    """Any group of radio buttons at checkout still unanswered (a shipping method, say) gets its first choice."""
    page.evaluate(
        """() => {
          const radios = [...document.querySelectorAll("main form input[type=radio]")];
          for (const name of new Set(radios.map((radio) => radio.name))) {
            const group = radios.filter((radio) => radio.name === name);
            if (!group.some((radio) => radio.checked)) group[0].click();
          }
        }"""
    )


def test_a_guest_shops_on_a_phone(
    page, goto, live_site, live_site_pages, live_guide, otc_guide, axe, axe_report, screenshot
):
    from orders.models import Order
    from tests.factories import make_article

    article = make_article(live_site_pages["articles"], body=[("product_box", {"medicine": otc_guide})])
    page.set_viewport_size(PHONE)
    for label, path in (
        ("home", "/"),
        ("search", "/search/?q=baclofen"),
        ("A–Z", "/medicines/"),
        ("drug class", live_guide.drug_class.url),
        ("tag", "/tags/blocked-nose/"),
        ("log in", "/account/login/"),
        ("sign up", "/account/signup/"),
        ("prescription guide", live_guide.url),
        ("article with a price box", article.url),
    ):
        goto(page, path)
        assert_fits_phone_and_desktop(page, label)

    # The price box: every row keeps its strength and pack beside its price, availability and "Add to cart".
    goto(page, otc_guide.url)
    assert_fits_phone_and_desktop(page, "guide")
    violations = axe(page)
    assert violations == [], axe_report(violations)
    screenshot(page, "guide-390")
    packs = [pack for product in otc_guide.products.order_by("strength") for pack in product.packs.order_by("units")]
    assert page.locator(".product-box [data-sku]").count() == len(packs) == 3
    for pack in packs:
        row = page.locator(f".product-box [data-sku='{pack.sku}']")
        text = row.inner_text()
        for shown in (pack.product.strength_and_form, pack.size_label, "In stock", f"${pack.price}"):
            assert shown in text, f"{shown!r} not in {text!r}"
        assert_in_view(row.locator(".product-row__what"), page, "the form and strength")
        assert_in_view(row.locator(".product-row__pack"), page, "the pack")
        assert_in_view(row.locator(".product-row__price"), page, "the pack's price")
        assert_in_view(row.get_by_label(re.compile("^Quantity")), page, "quantity")
        button = row.get_by_role("button", name=re.compile("^Add to cart"))
        assert_in_view(button, page, "Add to cart")
        button.click()
        page.wait_for_load_state("load")

    # The cart: three lines, each with its name, quantity, line total and Remove, and the total, all in view.
    goto(page, "/cart/")
    lines = page.locator(".cart-line")
    assert lines.count() == 3
    assert_fits_phone_and_desktop(page, "cart")
    for index in range(3):
        line = lines.nth(index)
        assert_in_view(line.locator(".cart-line__name"), page, "the line's name")
        assert_in_view(line.get_by_label(re.compile("^Packs of")), page, "the quantity")
        assert_in_view(line.locator(".cart-line__total"), page, "the line total")
        assert_in_view(line.get_by_role("button", name=re.compile("^Remove")), page, "Remove")
    total = page.locator(".cart-total")
    assert_in_view(total, page, "the total")
    assert total.inner_text().strip() == "$20.85"
    violations = axe(page)
    assert violations == [], axe_report(violations)
    screenshot(page, "cart-390")

    page.get_by_role("link", name="Go to checkout").click()
    page.wait_for_load_state("load")
    assert_fits_phone_and_desktop(page, "checkout")
    violations = axe(page)
    assert violations == [], axe_report(violations)
    page.get_by_label("E-mail address").fill("guest@example.com")
    page.get_by_label("Full name").fill("Robin Patel")
    page.get_by_label("Address line 1").fill("1 High Street")
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("Postcode / ZIP").fill("12345")
    page.get_by_label("Country").select_option("United States")
    page.get_by_label("State (United States)").select_option("Illinois")
    page.get_by_label("Pay on delivery").check()
    choose_the_first_of_unanswered_choices(page)
    page.get_by_role("button", name=re.compile("Place the order")).click()
    page.wait_for_load_state("load")
    assert re.search(r"/orders/AP-[0-9A-F]+/", page.url), page.url

    order = Order.objects.get()
    assert order.lines.count() == 3
    assert_fits_phone_and_desktop(page, "order page")
    assert_in_view(page.locator(".order-total"), page, "the order's total")
    violations = axe(page)
    assert violations == [], axe_report(violations)
    screenshot(page, "order-390")


def test_a_patient_reads_the_account_pages_on_a_phone(page, goto, live_site, live_guide):
    from tests.factories import ADDRESS, health_on_file, make_order, make_user

    patient = make_user("robin@example.com", first_name="Robin", last_name="Patel", **health_on_file())
    patient.addresses.create(**ADDRESS)
    pack = live_guide.products.get().packs.first()
    order = make_order([(pack, 2)], patient, email=patient.email)
    page.set_viewport_size(PHONE)
    goto(page, "/account/login/")
    page.get_by_label("E-mail address").fill(patient.email)
    page.get_by_label("Password").fill("pw")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    for label, path in (
        ("account", "/account/"),
        ("profile", "/account/profile/"),
        ("orders", "/account/orders/"),
        ("order", f"/orders/{order.number}/"),
        ("new address", "/account/addresses/add/"),
        ("two-factor", "/account/two-factor/"),
        ("delete account", "/account/delete/"),
    ):
        goto(page, path)
        assert_fits_phone_and_desktop(page, label)
