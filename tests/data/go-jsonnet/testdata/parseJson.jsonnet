std.parseJson(
    '{
        "foo": "bar",
        "aaa": {},
        "ąę": "ćż",
        "xxx": [
            42,
            "asdf",
            {}
        ]
    }',
)