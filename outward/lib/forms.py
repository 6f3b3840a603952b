from django.http import HttpRequest, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """Form data to bind on POST (even an empty POST, which must show "required" errors)."""
    return request.POST if request.method == "POST" else None
