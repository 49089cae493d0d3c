"""Temporary page for a dashboard area whose views have not landed yet (removed as areas land)."""

from django.shortcuts import render


def not_built(request, **kwargs):
    return render(request, "dashboard/not_built.html", status=501)
