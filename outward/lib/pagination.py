from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def paginate(request, object_list, per_page: int = PAGE_SIZE) -> Page:
    """One page of a list; a page number that is not a number or out of range gives the
    nearest real page rather than an error."""
    return Paginator(object_list, per_page).get_page(request.GET.get("page"))
