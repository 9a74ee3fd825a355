import { isPost } from './state.js'

/**
 * Main or post step (one bundle serves both). Reports a failure once, here, by exit code and
 * annotation; never calls process.exit (the tail of stdout would be lost).
 */
export async function run(): Promise<void> {
  if (isPost()) {
    const { post } = await import('./post.js')
    post()
    return
  }
  const { main } = await import('./action.js')
  await main()
}
