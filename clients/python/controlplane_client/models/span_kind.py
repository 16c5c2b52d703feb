from enum import StrEnum


class SpanKind(StrEnum):
    CLIENT = "client"
    CONSUMER = "consumer"
    INTERNAL = "internal"
    PRODUCER = "producer"
    SERVER = "server"

    def __str__(self) -> str:
        return str(self.value)
