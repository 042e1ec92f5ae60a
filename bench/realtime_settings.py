"""Settings of the WebSocket benchmarks: ``bench.settings`` served as ASGI, live events on.

The in-memory channel layer (one process), or Redis when ``BENCH_CHANNEL_LAYER_URL`` names one.
"""

import os

from bench.settings import *  # noqa: F403
from kit.conf.channels import channel_layers

ASGI_APPLICATION = "bench.asgi.application"
CHANNEL_LAYERS = channel_layers(os.environ.get("BENCH_CHANNEL_LAYER_URL", "memory://"), prefix="bench")
KIT = {**KIT, "PUBLISH_EVENTS": True, "WS_MESSAGE_RATE": None}  # noqa: F405
