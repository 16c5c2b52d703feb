from enum import StrEnum


class Model(StrEnum):
    CLAUDE_3_5_HAIKU = "claude-3.5-haiku"
    CLAUDE_OPUS_4 = "claude-opus-4"
    CLAUDE_SONNET_4 = "claude-sonnet-4"
    GEMINI_2_5_FLASH = "gemini-2.5-flash"
    GEMINI_2_5_PRO = "gemini-2.5-pro"
    GPT_3_5_TURBO = "gpt-3.5-turbo"
    GPT_4O = "gpt-4o"
    GPT_4O_MINI = "gpt-4o-mini"
    GPT_4_1 = "gpt-4.1"
    GPT_4_1_MINI = "gpt-4.1-mini"
    GPT_4_TURBO = "gpt-4-turbo"
    O3 = "o3"
    O4_MINI = "o4-mini"

    def __str__(self) -> str:
        return str(self.value)
