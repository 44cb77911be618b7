{ x: 5, assert super.x == 5 } 
