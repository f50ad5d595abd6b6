package secrethash_test

import (
	"fmt"

	"github.com/cognitosrp/cognitosrp/secrethash"
)

func ExampleCompute() {
	clientID := "3n4c3ohh8mn7ad0fo3pqbk9mdu"
	clientSecret := "1example23456789secretabcdefghijklmnopqrstuvwxyz0"
	fmt.Println(secrethash.Compute(clientID, clientSecret, "alice"))
	// Output: uR4VldbZQe7zPz1Wrg/LId2eyjtaJ7VjmlSTKPYnwxg=
}
