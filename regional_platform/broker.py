"""Kombu's Redis transport, made to ride out a lost broker.

With Celery 5.7 and kombu 5.7, a worker that loses Redis while it holds a delivered, unacknowledged message
(an eta task, a prefetched one, or an ``acks_late`` task running) exits with "Unrecoverable error:
AttributeError('NoneType' object has no attribute 'hostname')": after the lost connection the consumer
first tears the transport down (``Connection.collect``) and then closes the connection again; that second
close reaches ``QoS.restore_unacked``, which asks the torn-down transport for the server's address.

Nothing needs restoring there: kombu's Redis transport wrote every delivered message to Redis's ``unacked``
hash when it was delivered, and any worker puts it back on its queue once it is older than the visibility
timeout (``restore_visible``). So the messages are forgotten locally instead, and the worker reconnects.
"""

from __future__ import annotations

import logging

from kombu.transport import redis

logger = logging.getLogger(__name__)


class QoS(redis.QoS):
    def restore_unacked(self, client=None):
        if client is None and self.channel.connection.client is None:
            if self._delivered:
                logger.warning(
                    "The broker connection was lost holding %d unacknowledged message(s); Redis keeps them and "
                    "they are delivered again after the visibility timeout.",
                    len(self._delivered),
                )
            self._delivered.clear()
            return None
        return super().restore_unacked(client)


class Channel(redis.Channel):
    QoS = QoS


class Transport(redis.Transport):
    Channel = Channel
