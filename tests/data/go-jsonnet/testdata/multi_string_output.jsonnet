{
    "foo.txt": |||
        foo.
    |||,
    "bar.txt": "bar",
}
