"""The reference: a bare `websockets` server that forwards each message to the partner socket.

Sockets connect to `/relay/<room>`; every text frame one sends reaches the other socket in the same
room, unchanged. Nothing is parsed, stored or acknowledged: this is the floor any live server pays.

    python -m bench.relay --port 8100
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from websockets.asyncio.server import ServerConnection, serve

_rooms: dict[str, list[ServerConnection]] = {}


async def _relay(ws: ServerConnection) -> None:
    room = ws.request.path.rsplit("/", 1)[-1] if ws.request else ""
    peers = _rooms.setdefault(room, [])
    peers.append(ws)
    try:
        async for message in ws:
            for peer in peers:
                if peer is not ws:
                    with contextlib.suppress(Exception):  # the partner left meanwhile
                        await peer.send(message)
    finally:
        peers.remove(ws)
        if not peers:
            _rooms.pop(room, None)


async def _main(host: str, port: int) -> None:
    async with serve(_relay, host, port, compression=None, max_size=2**16, backlog=4096) as server:
        print(f"relay listening on ws://{host}:{port}/relay/<room>", flush=True)
        await server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    args = parser.parse_args()
    with contextlib.suppress(ImportError):  # the same loop uvicorn picks for the app
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main(args.host, args.port))


if __name__ == "__main__":
    main()
