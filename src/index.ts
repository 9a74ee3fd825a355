import { main } from './action.js'

// The main step. The post step is its own, smaller bundle (src/post-step.ts → dist/post/index.js).
await main()
