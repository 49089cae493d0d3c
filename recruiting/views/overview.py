"""The overview (``/``): what is waiting for the recruiter."""

from django.shortcuts import render


def overview(request):
    return render(request, "dashboard/overview/overview.html")
