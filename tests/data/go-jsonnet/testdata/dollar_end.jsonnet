{
    foo: 42,
    bar: -$.foo
}