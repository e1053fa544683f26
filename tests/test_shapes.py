"""Shape detection and normalisation: which shape wins, the turns each shape
produces, and the JSON Pointer each turn carries back into the record."""

from __future__ import annotations

import random
from typing import Any

import pytest

from ftlint import RecordView, Role, Turn
from ftlint.core.pointers import pointer
from ftlint.shapes.builtin import BUILTIN_SHAPES, parse_role, recognise


def view_of(value: Any) -> RecordView:
    view = recognise(value)
    assert view is not None, f"no shape matched {value!r}"
    return view


def summary(turns: tuple[Turn, ...]) -> list[tuple[Role, str, str]]:
    return [(t.role, t.text, t.pointer) for t in turns]


def turn_at(view: RecordView, at: str) -> Turn:
    return next(t for t in view.texts() if t.pointer == at)


def test_builtin_shapes_are_in_priority_order_with_unique_names() -> None:
    priorities = [shape.priority for shape in BUILTIN_SHAPES]
    assert priorities == sorted(priorities)
    assert len({shape.name for shape in BUILTIN_SHAPES}) == len(BUILTIN_SHAPES)


def test_pointer_escapes_tilde_and_slash() -> None:
    assert pointer("a/b", "c~d", 3) == "/a~1b/c~0d/3"


@pytest.mark.parametrize(
    ("raw", "role"),
    [
        ("user", Role.USER),
        ("Human", Role.USER),
        ("gpt", Role.ASSISTANT),
        ("function_call", Role.ASSISTANT),
        ("observation", Role.TOOL),
        ("developer", Role.SYSTEM),
        ("bot", Role.TEXT),
        (None, Role.TEXT),
    ],
)
def test_parse_role(raw: Any, role: Role) -> None:
    assert parse_role(raw) is role


# --- chat ---------------------------------------------------------------------------


def test_chat_turns_and_pointers() -> None:
    view = view_of(
        {
            "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": "Hi"},
                {"role": "assistant", "content": "Hello!"},
            ]
        }
    )
    assert view.shape == "chat"
    assert summary(view.turns) == [
        (Role.SYSTEM, "Be brief.", "/messages/0/content"),
        (Role.USER, "Hi", "/messages/1/content"),
        (Role.ASSISTANT, "Hello!", "/messages/2/content"),
    ]
    assert view.turns[0].required is False
    assert view.prompt == "Be brief.\nHi"
    assert view.response == "Hello!"
    assert view.has_tools is False


def test_chat_content_parts_are_joined() -> None:
    view = view_of(
        {
            "messages": [
                {
                    "role": "user",
                    "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}],
                },
                {"role": "assistant", "content": [{"type": "text", "value": "c"}]},
            ]
        }
    )
    assert [t.text for t in view.turns] == ["a\nb", "c"]
    assert all(t.is_string and t.required for t in view.turns)


def test_chat_image_only_part_may_have_no_text() -> None:
    view = view_of(
        {
            "messages": [
                {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]},
                {"role": "assistant", "content": "A cat."},
            ]
        }
    )
    assert (view.turns[0].text, view.turns[0].is_string, view.turns[0].required) == (
        "",
        True,
        False,
    )


def test_chat_malformed_parts_are_not_a_string() -> None:
    view = view_of({"messages": [{"role": "user", "content": ["plain", "strings"]}]})
    assert view.turns[0].is_string is False
    assert view.turns[0].present is True


def test_chat_part_with_a_strange_type_is_not_a_string() -> None:
    view = view_of({"messages": [{"role": "user", "content": [{"type": ["text"], "text": "Hi"}]}]})
    assert view.turns[0].is_string is False


def test_chat_tool_call_with_null_content_is_legitimate() -> None:
    call = {"id": "1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    view = view_of(
        {
            "messages": [
                {"role": "user", "content": "Weather?"},
                {"role": "assistant", "content": None, "tool_calls": [call]},
                {"role": "tool", "tool_call_id": "1", "content": "sunny"},
                {"role": "assistant", "content": "Sunny."},
            ]
        }
    )
    call_turn = view.turns[1]
    assert (call_turn.present, call_turn.required) == (False, False)
    assert view.turns[2].role is Role.TOOL
    assert view.has_tools is True


def test_chat_llamafactory_v1_tool_call_parts() -> None:
    view = view_of(
        {
            "messages": [
                {"role": "user", "content": [{"type": "text", "value": "Weather?"}]},
                {
                    "role": "assistant",
                    "content": [
                        {"type": "reasoning", "value": "Ask the tool."},
                        {"type": "tool_call", "value": '{"name": "f"}'},
                    ],
                },
            ]
        }
    )
    assert view.turns[1].text == "Ask the tool."
    assert view.turns[1].required is False
    assert view.has_tools is True


def test_chat_top_level_tools_set_has_tools() -> None:
    view = view_of(
        {"messages": [{"role": "user", "content": "Hi"}], "tools": [{"type": "function"}]}
    )
    assert view.has_tools is True


def test_chat_content_of_wrong_type_still_matches() -> None:
    view = view_of(
        {"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": 4}]}
    )
    assert view.shape == "chat"
    assert (view.turns[1].present, view.turns[1].is_string, view.turns[1].text) == (True, False, "")


def test_chat_missing_content_and_unknown_role() -> None:
    view = view_of({"messages": [{"role": "bot", "contnet": "Hi"}]})
    turn = view.turns[0]
    assert (turn.role, turn.raw_role, turn.present, turn.pointer) == (
        Role.TEXT,
        "bot",
        False,
        "/messages/0/content",
    )


def test_chat_message_that_is_not_an_object() -> None:
    view = view_of({"messages": ["Hi"]})
    assert (view.turns[0].role, view.turns[0].pointer, view.turns[0].is_string) == (
        Role.TEXT,
        "/messages/0",
        False,
    )


def test_chat_messages_may_use_sharegpt_keys() -> None:
    view = view_of({"messages": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Yo"}]})
    assert view.shape == "chat"
    assert summary(view.turns) == [
        (Role.USER, "Hi", "/messages/0/value"),
        (Role.ASSISTANT, "Yo", "/messages/1/value"),
    ]


# --- ShareGPT -----------------------------------------------------------------------


def test_sharegpt_with_system_and_tools() -> None:
    view = view_of(
        {
            "system": "You call tools.",
            "tools": '[{"name": "f"}]',
            "conversations": [
                {"from": "human", "value": "Do it"},
                {"from": "function_call", "value": '{"name": "f"}'},
                {"from": "observation", "value": "done"},
                {"from": "gpt", "value": "Done."},
            ],
        }
    )
    assert view.shape == "sharegpt"
    assert summary(view.turns) == [
        (Role.SYSTEM, "You call tools.", "/system"),
        (Role.USER, "Do it", "/conversations/0/value"),
        (Role.ASSISTANT, '{"name": "f"}', "/conversations/1/value"),
        (Role.TOOL, "done", "/conversations/2/value"),
        (Role.ASSISTANT, "Done.", "/conversations/3/value"),
    ]
    assert view.turns[2].raw_role == "function_call"
    assert view.has_tools is True


def test_sharegpt_value_must_be_a_string() -> None:
    view = view_of(
        {"conversations": [{"from": "human", "value": [{"type": "text", "text": "Hi"}]}]}
    )
    assert view.turns[0].is_string is False


def test_sharegpt_blank_system_adds_no_turn() -> None:
    view = view_of({"system": "", "conversations": [{"from": "human", "value": "Hi"}]})
    assert [t.pointer for t in view.turns] == ["/conversations/0/value"]


# --- Alpaca -------------------------------------------------------------------------


def test_alpaca_turns() -> None:
    view = view_of({"instruction": "Add.", "input": "2 and 2", "output": "4"})
    assert view.shape == "alpaca"
    assert summary(view.turns) == [
        (Role.USER, "Add.", "/instruction"),
        (Role.USER, "2 and 2", "/input"),
        (Role.ASSISTANT, "4", "/output"),
    ]
    assert [t.required for t in view.turns] == [False, False, True]  # the input holds the request
    assert view.prompt == "Add.\n2 and 2"
    assert view.response == "4"


def test_alpaca_instruction_is_required_when_input_is_empty() -> None:
    view = view_of({"instruction": "Add 2 and 2.", "input": " ", "output": "4"})
    assert [t.required for t in view.turns] == [True, False, True]


def test_alpaca_missing_output_still_matches() -> None:
    view = view_of({"instruction": "Add.", "input": ""})
    output = turn_at(view, "/output")
    assert (output.present, output.required) == (False, True)


def test_alpaca_with_only_an_instruction_matches() -> None:
    assert view_of({"instruction": "Add."}).shape == "alpaca"


def test_instruction_among_foreign_keys_is_not_alpaca() -> None:
    seed_task = {
        "id": "t0",
        "name": "n",
        "instruction": "Do.",
        "instances": [],
        "is_classification": False,
    }
    assert recognise(seed_task) is None


def test_alpaca_empty_instruction_is_fine_when_input_has_the_request() -> None:
    view = view_of({"instruction": "", "input": "Translate: chat", "output": "cat"})
    assert turn_at(view, "/instruction").required is False


def test_alpaca_system_and_history() -> None:
    view = view_of(
        {
            "system": "Be kind.",
            "history": [["Hi", "Hello"], ["How are you?", "Fine"]],
            "instruction": "Bye",
            "output": "Goodbye",
        }
    )
    assert summary(view.turns) == [
        (Role.SYSTEM, "Be kind.", "/system"),
        (Role.USER, "Hi", "/history/0/0"),
        (Role.ASSISTANT, "Hello", "/history/0/1"),
        (Role.USER, "How are you?", "/history/1/0"),
        (Role.ASSISTANT, "Fine", "/history/1/1"),
        (Role.USER, "Bye", "/instruction"),
        (Role.ASSISTANT, "Goodbye", "/output"),
    ]


def test_alpaca_output_of_wrong_type() -> None:
    view = view_of({"instruction": "Add.", "output": 4})
    assert turn_at(view, "/output").is_string is False


# --- prompt/completion, text ---------------------------------------------------------


def test_prompt_completion() -> None:
    view = view_of({"prompt": "Q?", "completion": " A."})
    assert view.shape == "prompt-completion"
    assert summary(view.turns) == [
        (Role.USER, "Q?", "/prompt"),
        (Role.ASSISTANT, " A.", "/completion"),
    ]


def test_prompt_completion_conversational() -> None:
    view = view_of(
        {
            "prompt": [{"role": "user", "content": "Q?"}],
            "completion": [{"role": "assistant", "content": "A."}],
        }
    )
    assert summary(view.turns) == [
        (Role.USER, "Q?", "/prompt/0/content"),
        (Role.ASSISTANT, "A.", "/completion/0/content"),
    ]


def test_prompt_without_completion_still_matches() -> None:
    view = view_of({"prompt": "Q?"})
    assert turn_at(view, "/completion").present is False


def test_text() -> None:
    view = view_of({"text": "Once upon a time"})
    assert view.shape == "text"
    assert summary(view.turns) == [(Role.TEXT, "Once upon a time", "/text")]


# --- preference -----------------------------------------------------------------------


def test_preference_llamafactory_sharegpt() -> None:
    view = view_of(
        {
            "conversations": [{"from": "human", "value": "Joke?"}],
            "chosen": {"from": "gpt", "value": "Funny"},
            "rejected": {"from": "gpt", "value": "Dull"},
        }
    )
    assert view.shape == "preference"
    assert summary(view.turns) == [
        (Role.USER, "Joke?", "/conversations/0/value"),
        (Role.ASSISTANT, "Funny", "/chosen/value"),
    ]
    assert summary(view.rejected) == [(Role.ASSISTANT, "Dull", "/rejected/value")]


def test_preference_explicit_string_prompt() -> None:
    view = view_of({"prompt": "Joke?", "chosen": "Funny", "rejected": "Dull"})
    assert summary(view.turns) == [
        (Role.USER, "Joke?", "/prompt"),
        (Role.ASSISTANT, "Funny", "/chosen"),
    ]
    assert summary(view.rejected) == [(Role.ASSISTANT, "Dull", "/rejected")]


def test_preference_explicit_conversational_prompt() -> None:
    view = view_of(
        {
            "prompt": [{"role": "user", "content": "Joke?"}],
            "chosen": [{"role": "assistant", "content": "Funny"}],
            "rejected": [{"role": "assistant", "content": "Dull"}],
        }
    )
    assert [t.pointer for t in view.turns] == ["/prompt/0/content", "/chosen/0/content"]
    assert [t.pointer for t in view.rejected] == ["/rejected/0/content"]


def test_preference_implicit_prompt_is_the_shared_opening() -> None:
    opening = [{"role": "user", "content": "Joke?"}]
    view = view_of(
        {
            "chosen": [*opening, {"role": "assistant", "content": "Funny"}],
            "rejected": [*opening, {"role": "assistant", "content": "Dull"}],
        }
    )
    assert summary(view.turns) == [
        (Role.USER, "Joke?", "/chosen/0/content"),
        (Role.ASSISTANT, "Funny", "/chosen/1/content"),
    ]
    assert summary(view.rejected) == [(Role.ASSISTANT, "Dull", "/rejected/1/content")]
    assert view.prompt == "Joke?"


def test_preference_alpaca_style() -> None:
    view = view_of({"instruction": "Joke?", "input": "", "chosen": "Funny", "rejected": "Dull"})
    assert view.shape == "preference"
    assert [t.pointer for t in view.turns] == ["/instruction", "/input", "/chosen"]


def test_preference_missing_rejected_still_matches() -> None:
    view = view_of({"prompt": "Joke?", "chosen": "Funny"})
    assert view.shape == "preference"
    assert (view.rejected[0].pointer, view.rejected[0].present) == ("/rejected", False)


def test_preference_hh_rlhf_transcripts_are_cut_into_turns() -> None:
    view = view_of(
        {
            "chosen": "\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Bye\n\nAssistant: Bye!",
            "rejected": "\n\nHuman: Hi\n\nAssistant: Hello!\n\nHuman: Bye\n\nAssistant:",
        }
    )
    assert view.shape == "preference"
    assert [(t.role, t.text, t.part) for t in view.turns] == [
        (Role.USER, "Hi", 1),
        (Role.ASSISTANT, "Hello!", 2),
        (Role.USER, "Bye", 3),
        (Role.ASSISTANT, "Bye!", 4),
    ]
    assert {t.pointer for t in view.turns} == {"/chosen"}
    assert [(t.role, t.text, t.pointer, t.part) for t in view.rejected] == [
        (Role.ASSISTANT, "", "/rejected", 4)
    ]
    assert view.rejected_prompt is not None
    assert [t.text for t in view.rejected_prompt] == ["Hi", "Hello!", "Bye"]


def test_preference_text_before_the_first_transcript_label_is_an_unlabelled_turn() -> None:
    view = view_of({"chosen": "Note\n\nHuman: Hi\n\nAssistant: A", "rejected": "B"})
    assert [(t.role, t.raw_role, t.text) for t in view.turns] == [
        (Role.TEXT, "", "Note"),
        (Role.USER, "Human", "Hi"),
        (Role.ASSISTANT, "Assistant", "A"),
    ]
    assert summary(view.rejected) == [(Role.ASSISTANT, "B", "/rejected")]


def test_preference_plain_string_sides_are_responses_not_transcripts() -> None:
    view = view_of({"chosen": "Human: yes", "rejected": "no"})
    assert summary(view.turns) == [(Role.ASSISTANT, "Human: yes", "/chosen")]


def test_openai_preference_format() -> None:
    view = view_of(
        {
            "input": {
                "messages": [{"role": "user", "content": "Weather?"}],
                "tools": [{"type": "function", "function": {"name": "weather"}}],
                "parallel_tool_calls": True,
            },
            "preferred_output": [{"role": "assistant", "content": "Sunny."}],
            "non_preferred_output": [{"role": "assistant", "content": "No idea."}],
        }
    )
    assert view.shape == "openai-preference"
    assert summary(view.turns) == [
        (Role.USER, "Weather?", "/input/messages/0/content"),
        (Role.ASSISTANT, "Sunny.", "/preferred_output/0/content"),
    ]
    assert summary(view.rejected) == [
        (Role.ASSISTANT, "No idea.", "/non_preferred_output/0/content")
    ]
    assert view.has_tools
    assert view.rejected_prompt is None


def test_openai_preference_missing_output_is_a_missing_turn() -> None:
    view = view_of(
        {"input": {"messages": [{"role": "user", "content": "Hi"}]}, "preferred_output": []}
    )
    assert [(t.pointer, t.present) for t in view.texts()][1:] == [
        ("/preferred_output", True),
        ("/non_preferred_output", False),
    ]


# --- KTO ------------------------------------------------------------------------------


def test_kto_messages_with_label() -> None:
    messages = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Yo"}]
    view = view_of({"messages": messages, "label": False})
    assert (view.shape, view.label) == ("kto", False)
    assert [t.pointer for t in view.turns] == ["/messages/0/content", "/messages/1/content"]


def test_kto_llamafactory_kto_tag() -> None:
    view = view_of({"conversations": [{"from": "human", "value": "Hi"}], "kto_tag": True})
    assert (view.shape, view.label) == ("kto", True)


def test_kto_prompt_completion_label() -> None:
    view = view_of({"prompt": "Hi", "completion": "Yo", "label": True})
    assert (view.shape, view.label) == ("kto", True)


def test_kto_label_spelled_as_string_still_matches_without_a_label() -> None:
    view = view_of({"messages": [{"role": "user", "content": "Hi"}], "label": "false"})
    assert (view.shape, view.label) == ("kto", None)


def test_class_label_is_not_kto() -> None:
    view = view_of({"messages": [{"role": "user", "content": "Hi"}], "label": "positive"})
    assert view.shape == "chat"


# --- no shape -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        {"question": "Q?", "answer": "A."},
        {},
        ["messages"],
        "text",
        42,
        None,
        {"messages": "not a list"},
    ],
)
def test_unknown_shapes(value: Any) -> None:
    assert recognise(value) is None


# --- robustness -----------------------------------------------------------------------

KEYS = [
    "messages",
    "conversations",
    "role",
    "content",
    "from",
    "value",
    "type",
    "text",
    "instruction",
    "input",
    "output",
    "prompt",
    "completion",
    "chosen",
    "rejected",
    "label",
    "kto_tag",
    "system",
    "history",
    "tools",
    "tool_calls",
    "weight",
]


def random_json(rng: random.Random, depth: int = 0) -> Any:
    """Arbitrary JSON biased towards the keys the shapes read."""
    kind = rng.randrange(8 if depth < 4 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False, 0, 1, 2.5, -1])
    if kind in (2, 3, 4):
        return rng.choice(["", " ", "hi", "user", "assistant", "gpt", "human", "true", "{{x}}"])
    if kind == 5:
        return [random_json(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {rng.choice(KEYS): random_json(rng, depth + 1) for _ in range(rng.randrange(5))}


def test_shapes_never_raise_on_arbitrary_json() -> None:
    rng = random.Random(20240601)
    for _ in range(5000):
        view = recognise(random_json(rng, depth=rng.randrange(2)))
        if view is not None:
            assert all(t.pointer.startswith("/") for t in view.texts())
