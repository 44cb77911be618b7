{
    foo: false,
    bar: !$.foo
}