"""Steps that several browser tests take, done as a person would."""

PASSWORD = "correct horse 42"  # tests.factories.UserFactory's


def log_in(page, user, password: str = PASSWORD) -> None:
    """Log in through the login form."""
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("#login-submit")
    # Attached, not visible: on a phone the menu folds the link away.
    page.wait_for_selector("#logout", state="attached")


def loaded_image(page, selector: str):
    """Wait for an <img> to finish loading; return the server's response for it.

    A broken image also finishes loading, with naturalWidth 0: callers assert it.
    """
    image = page.locator(selector)
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete", arg=image.element_handle())
    return page.request.get(image.get_attribute("src"))


def csrf_token(page) -> str:
    """Return the CSRF cookie the site gave this browser."""
    cookies = page.context.cookies()
    return next(c["value"] for c in cookies if c["name"] == "csrftoken")
