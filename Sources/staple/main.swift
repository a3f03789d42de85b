print("staple")
