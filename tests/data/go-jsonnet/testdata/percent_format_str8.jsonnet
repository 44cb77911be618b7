"x %(a)s %(b)s" % {a: "y", b: "z"}
