"""The kernel connection of the book's JupyterLab server (cnnlib.lab)."""

import re
from pathlib import Path
from unittest import mock

import pytest

pytest.importorskip("jupyter_server")
from jupyter_server.serverapp import ServerApp  # noqa: E402
from jupyter_server.services.kernels.connection.channels import (  # noqa: E402
    ZMQChannelsWebsocketConnection,
)

from cnnlib.lab import CONNECTION_OPTION, QuickKernelConnection  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def test_connecting_turns_nagle_off_before_the_server_connects_the_kernel():
    calls = []
    handler = mock.Mock()
    handler.set_nodelay.side_effect = lambda on: calls.append(("nodelay", on))
    conn = QuickKernelConnection.__new__(QuickKernelConnection)
    conn._trait_values["websocket_handler"] = handler  # no tornado app needed
    with mock.patch.object(ZMQChannelsWebsocketConnection, "connect",
                           lambda self: calls.append(("connect", None)) or "f"):
        assert conn.connect() == "f"
    assert calls == [("nodelay", True), ("connect", None)]


def test_the_option_names_a_class_the_server_accepts():
    app = ServerApp()
    app.parse_command_line([CONNECTION_OPTION])
    assert app.kernel_websocket_connection_class is QuickKernelConnection


def test_make_lab_passes_the_option():
    makefile = (REPO / "Makefile").read_text()
    recipe = re.search(r"^lab:.*?(?=^\S)", makefile, re.M | re.S).group(0)
    assert CONNECTION_OPTION.removeprefix("--") in recipe.replace("\\\n", " ")
