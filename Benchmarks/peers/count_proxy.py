#!/usr/bin/env python3
"""A counting TCP proxy on loopback for the pushdown suite of Benchmarks/run (issue 17).

    count_proxy.py TARGET_PORT PORT_FILE COUNT_FILE

Listens on 127.0.0.1 (a free port from the kernel, written to PORT_FILE), forwards every connection
to 127.0.0.1:TARGET_PORT (the benchmark's PostgreSQL server) unchanged, and counts the bytes the server
sends to the clients. After every connection opens or closes it rewrites COUNT_FILE (atomically) as
"TOTAL_BYTES ACTIVE_CONNECTIONS", so the harness reads the total before and after a tool's run, once no
connection is open, and every tool's bytes are measured by this one method (the wire bytes of the
PostgreSQL protocol, startup and authentication included). Loopback only; runs until killed.
"""
from __future__ import annotations

import asyncio
import os
import sys

TARGET_PORT = int(sys.argv[1])
PORT_FILE, COUNT_FILE = sys.argv[2], sys.argv[3]
total = 0
active = 0


def record() -> None:
    tmp = COUNT_FILE + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{total} {active}\n")
    os.replace(tmp, COUNT_FILE)


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, counted: bool) -> None:
    global total
    try:
        while True:
            data = await reader.read(1 << 16)
            if not data:
                break
            if counted:
                total += len(data)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        try:
            writer.close()
        except (ConnectionError, OSError):
            pass


async def handle(client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
    global active
    active += 1
    record()
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", TARGET_PORT)
        await asyncio.gather(pipe(client_reader, server_writer, False),
                             pipe(server_reader, client_writer, True))
    finally:
        active -= 1
        record()


async def main() -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    record()
    with open(PORT_FILE + ".tmp", "w") as f:
        f.write(f"{port}\n")
    os.replace(PORT_FILE + ".tmp", PORT_FILE)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
