import { post } from './post.js'

// The post step (`post-if: always()`): its own bundle, so it loads only what scrubbing needs.
post()
