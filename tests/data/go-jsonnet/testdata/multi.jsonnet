{
  "foo.json": {
    baz: 3,
    baq: "27",
  },
  "bar.json": {
    foo: {
      bar: {
        baz: "yes",
      },
    },
  },
}
