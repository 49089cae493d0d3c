"""placeholder"""
from bench.common import Figure


def run(ctx):
    return [Figure("lists.todo", None, "", notes="not written yet")]
