"""The JupyterLab server the chapters run in (``make lab``, the browser tests
and ``benchmarks/live_latency.py`` start it with this connection class).

A live panel answers a key press with several websocket messages from the
server: the kernel's ``busy`` status, the widget's echo, the new image, the
``idle`` status. Tornado leaves Nagle's algorithm on for websockets: a small
message written while an earlier small one is unacknowledged is held back,
with whatever follows it, until that acknowledgement arrives; a TCP stack may
delay the acknowledgement (on Linux by 40 to 200 ms, hoping to send it with
data), and the new figure arrives that much later. :class:`QuickKernelConnection`
turns Nagle off on the kernel's websocket (``TCP_NODELAY``), as Tornado's
``WebSocketHandler.set_nodelay`` documentation suggests against this delay, and
as ZeroMQ already does between server and kernel.

Use: ``jupyter lab --ServerApp.kernel_websocket_connection_class=``
``cnnlib.lab.QuickKernelConnection``.
"""

from __future__ import annotations

from jupyter_server.services.kernels.connection.channels import (
    ZMQChannelsWebsocketConnection,
)

# The class is built by jupyter_server from its name (CONNECTION_OPTION), never
# called by a reader, so the public name is the option.
__all__ = ["CONNECTION_OPTION"]


class QuickKernelConnection(ZMQChannelsWebsocketConnection):
    """The server's kernel websocket with Nagle's algorithm off
    (``TCP_NODELAY``): a small message is sent at once, not held back until an
    earlier one is acknowledged."""

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()


#: The command-line option that makes a JupyterLab server use it.
CONNECTION_OPTION = (f"--ServerApp.kernel_websocket_connection_class="
                     f"{QuickKernelConnection.__module__}."
                     f"{QuickKernelConnection.__qualname__}")
