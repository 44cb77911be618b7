"x %s %s" % "y"
