"""placeholder"""
from bench.common import Figure


def run(ctx):
    return [Figure("apply.todo", None, "", notes="not written yet")]
