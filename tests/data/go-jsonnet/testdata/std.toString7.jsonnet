std.toString([{a: [42, 42, {}], ["b"]: 1337}, 42, "text", 42])
