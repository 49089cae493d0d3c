"""placeholder"""
from bench.common import Figure


def run(ctx):
    return [Figure("reconcile.todo", None, "", notes="not written yet")]
