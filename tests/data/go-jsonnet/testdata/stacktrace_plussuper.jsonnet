local a(input) = input + {
  a+: {},
};

a({a: null})