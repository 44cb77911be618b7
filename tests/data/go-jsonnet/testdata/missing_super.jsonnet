{ x: super.x }
