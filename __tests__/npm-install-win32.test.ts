/**
 * Issue 13, class 15 (Windows, from reading): npm.cmd runs through cmd.exe, which expands %VAR%
 * inside arguments. findNpm never hands back that path: on win32 it finds node.exe and npm's own
 * npm-cli.js beside npm.cmd, and fails (with a hint) rather than fall back to the .cmd.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nap-win32-'))
const nodejs = path.join(root, 'nodejs')
const platform = Object.getOwnPropertyDescriptor(process, 'platform') as PropertyDescriptor

jest.unstable_mockModule('which', () => {
  const sync = (name: string): string | null =>
    name === 'node.exe' || name === 'npm.cmd' ? path.join(nodejs, name) : null
  return { default: { sync }, sync }
})
const { findNpm } = await import('../src/npm-install.js')

beforeAll(() => {
  fs.mkdirSync(nodejs, { recursive: true })
  fs.writeFileSync(path.join(nodejs, 'node.exe'), '')
  fs.writeFileSync(
    path.join(nodejs, 'npm.cmd'),
    '@ECHO off\r\nnode "%~dp0\\node_modules\\npm\\bin\\npm-cli.js" %*\r\n'
  )
  Object.defineProperty(process, 'platform', { ...platform, value: 'win32' })
})

afterAll(() => {
  Object.defineProperty(process, 'platform', platform)
  fs.rmSync(root, { recursive: true, force: true })
})

describe('findNpm on Windows', () => {
  it('refuses (PUBLISH_FAILED) when only npm.cmd is there: never the cmd.exe path', () => {
    expect(() => findNpm()).toThrow(expect.objectContaining({ code: 'PUBLISH_FAILED' }))
  })

  it('runs node.exe on npm-cli.js beside npm.cmd, and nothing it returns is a .cmd', () => {
    const cli = path.join(nodejs, 'node_modules', 'npm', 'bin', 'npm-cli.js')
    fs.mkdirSync(path.dirname(cli), { recursive: true })
    fs.writeFileSync(cli, '')
    const install = findNpm()
    expect(install.cli).toBe(fs.realpathSync(cli))
    expect(install.node).toBe(fs.realpathSync(path.join(nodejs, 'node.exe')))
    for (const file of Object.values(install)) expect(file).not.toMatch(/\.(cmd|bat)$/i)
  })
})
