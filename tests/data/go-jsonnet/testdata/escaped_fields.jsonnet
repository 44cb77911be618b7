{
  '"': null,
  "'": null,
  |||
    
    
  |||: null,
}
