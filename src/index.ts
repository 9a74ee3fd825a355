// The main step. `prewarm` is imported first on purpose: its npm starts before the rest loads.
import './prewarm.js'
import { main } from './action.js'

// The post step is its own, smaller bundle (src/post-step.ts → dist/post/index.js).
await main()
