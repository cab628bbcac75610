// The project as WeChat DevTools reads it: every json file valid and within the documented
// fields, every page complete, WXML well formed with handlers that exist, Chinese UI text.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { ROOT, instantiate } = require('./harness.js')

const SKIP = new Set(['node_modules', 'test', '.git'])

function files(dir = ROOT, found = []) {
  fs.readdirSync(dir, { withFileTypes: true }).forEach((entry) => {
    if (SKIP.has(entry.name)) return
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) files(full, found)
    else found.push(full)
  })
  return found
}

function readJson(relative) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, relative), 'utf8'))
}

const HEX = /^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/
const CHINESE = /[\u4e00-\u9fff]/

// Fields of the platform's documentation (project config, app.json, page json).
const PROJECT_FIELDS = new Set([
  'description', 'appid', 'projectname', 'compileType', 'miniprogramRoot', 'libVersion', 'setting',
  'packOptions', 'condition', 'editorSetting', 'debugOptions', 'scripts', 'srcMiniprogramRoot',
  'pluginRoot', 'cloudfunctionRoot', 'qcloudRoot', 'watchOptions'
])
const SETTING_FIELDS = new Set([
  'urlCheck', 'es6', 'enhance', 'postcss', 'minified', 'uglifyFileName', 'checkSiteMap',
  'ignoreDevUnusedFiles', 'ignoreUploadUnusedFiles', 'coverView', 'uploadWithSourceMap',
  'compileHotReLoad', 'lazyloadPlaceholderEnable', 'preloadBackgroundData', 'minifyWXSS',
  'minifyWXML', 'showShadowRootInWxmlPanel', 'packNpmManually', 'packNpmRelationList',
  'useMultiFrameRuntime', 'useApiHook', 'babelSetting', 'disableUseStrict', 'useIsolateContext',
  'useCompilerModule', 'userConfirmedUseCompilerModuleSwitch', 'showES6CompileOption',
  'useCompilerPlugins', 'autoAudits', 'newFeature', 'bigPackageSizeSupport', 'condition'
])
const IGNORE_TYPES = new Set(['folder', 'file', 'suffix', 'prefix', 'regexp', 'glob'])
const APP_FIELDS = new Set([
  'entryPagePath', 'pages', 'window', 'tabBar', 'networkTimeout', 'debug', 'functionalPages',
  'subpackages', 'workers', 'requiredBackgroundModes', 'plugins', 'preloadRule', 'resizable',
  'usingComponents', 'permission', 'sitemapLocation', 'style', 'useExtendedLib', 'entranceDeclare',
  'darkmode', 'themeLocation', 'lazyCodeLoading', 'singlePage', 'supportedMaterials',
  'serviceProviderTicket', 'embeddedAppIdList', 'halfPage', 'debugOptions', 'enablePassiveEvent',
  'resolveAlias', 'renderer', 'rendererOptions', 'componentFramework', 'miniApp', 'static',
  'convertRpxToVw', 'appBar', 'requiredPrivateInfos', 'navigateToMiniProgramAppIdList'
])
const WINDOW_FIELDS = new Set([
  'navigationBarBackgroundColor', 'navigationBarTextStyle', 'navigationBarTitleText',
  'navigationStyle', 'homeButton', 'backgroundColor', 'backgroundTextStyle', 'backgroundColorTop',
  'backgroundColorBottom', 'enablePullDownRefresh', 'onReachBottomDistance', 'pageOrientation',
  'restartStrategy', 'initialRenderingCache', 'visualEffectInBackground', 'handleWebviewPreload'
])
const PAGE_ONLY_FIELDS = new Set([
  'disableScroll', 'usingComponents', 'style', 'singlePage', 'renderer', 'componentFramework',
  'disableSwipeBack', 'enablePassiveEvent', 'backgroundColorContent', 'componentPlaceholder'
])

function checkWindow(window, where) {
  Object.keys(window).forEach((key) => assert.ok(WINDOW_FIELDS.has(key) || PAGE_ONLY_FIELDS.has(key), `${where}: unknown field ${key}`))
  ;['navigationBarBackgroundColor', 'backgroundColor', 'backgroundColorTop', 'backgroundColorBottom'].forEach((key) => {
    if (key in window) assert.match(window[key], HEX, `${where}: ${key} must be a hex colour`)
  })
  if ('navigationBarTextStyle' in window) assert.ok(['black', 'white'].includes(window.navigationBarTextStyle), `${where}: navigationBarTextStyle is black or white`)
  if ('backgroundTextStyle' in window) assert.ok(['dark', 'light'].includes(window.backgroundTextStyle), `${where}: backgroundTextStyle is dark or light`)
  if ('enablePullDownRefresh' in window) assert.equal(typeof window.enablePullDownRefresh, 'boolean', `${where}: enablePullDownRefresh is a boolean`)
  if ('navigationBarTitleText' in window) assert.match(window.navigationBarTitleText, CHINESE, `${where}: a Chinese title`)
}

const app = readJson('app.json')

test('every json file parses', () => {
  const jsons = files().filter((f) => f.endsWith('.json'))
  assert.ok(jsons.length >= 3 + app.pages.length)
  jsons.forEach((file) => assert.doesNotThrow(() => JSON.parse(fs.readFileSync(file, 'utf8')), file))
})

test('project.config.json: a mini-program with a placeholder AppID rooted here', () => {
  const project = readJson('project.config.json')
  Object.keys(project).forEach((key) => assert.ok(PROJECT_FIELDS.has(key), `unknown field ${key}`))
  assert.equal(project.appid, 'touristappid')
  assert.equal(project.compileType, 'miniprogram')
  assert.equal(project.miniprogramRoot, './')
  assert.ok(fs.existsSync(path.join(ROOT, project.miniprogramRoot, 'app.json')))
  assert.match(project.libVersion, /^\d+\.\d+\.\d+$/)
  assert.equal(typeof project.projectname, 'string')
  Object.entries(project.setting).forEach(([key, value]) => {
    assert.ok(SETTING_FIELDS.has(key), `unknown setting ${key}`)
    assert.equal(typeof value, 'boolean', `setting ${key} is a boolean`)
  })
  assert.equal(project.setting.urlCheck, false, 'the simulator may call a local backend')
  project.packOptions.ignore.forEach((rule) => {
    assert.ok(IGNORE_TYPES.has(rule.type), `ignore type ${rule.type}`)
    assert.equal(typeof rule.value, 'string')
  })
  const ignored = project.packOptions.ignore.map((rule) => rule.value)
  assert.ok(ignored.includes('test') && ignored.includes('node_modules'), 'tests stay out of the package')
})

test('app.json: documented fields, Chinese window title, every page complete', () => {
  Object.keys(app).forEach((key) => assert.ok(APP_FIELDS.has(key), `unknown field ${key}`))
  assert.ok(Array.isArray(app.pages) && app.pages.length > 0)
  assert.equal(new Set(app.pages).size, app.pages.length, 'no page twice')
  checkWindow(app.window, 'app.json window')
  assert.match(app.window.navigationBarTitleText, CHINESE)
  assert.equal(app.style, 'v2')
  app.pages.forEach((page) => {
    assert.doesNotMatch(page, /^\/|\.\w+$/, `${page}: no leading slash, no extension`)
    ;['.js', '.json', '.wxml', '.wxss'].forEach((ext) => assert.ok(fs.existsSync(path.join(ROOT, page + ext)), `${page}${ext} exists`))
  })
})

test('sitemap.json is what app.json points to, with valid rules', () => {
  const sitemap = readJson(app.sitemapLocation)
  assert.ok(Array.isArray(sitemap.rules) && sitemap.rules.length)
  sitemap.rules.forEach((rule) => {
    assert.ok(['allow', 'disallow'].includes(rule.action))
    assert.equal(typeof rule.page, 'string')
  })
})

test('page json files: window fields only, each with a Chinese title', () => {
  app.pages.forEach((page) => {
    const config = readJson(`${page}.json`)
    checkWindow(config, `${page}.json`)
    assert.match(config.navigationBarTitleText || '', CHINESE, `${page}.json: a Chinese title`)
  })
})

// ---- WXML ----

const VOID_TAGS = new Set(['input', 'image', 'icon', 'radio', 'checkbox', 'switch', 'slider', 'progress', 'import', 'include'])

function tagsBalanced(source, where) {
  const stack = []
  const tag = /<(\/?)([a-zA-Z][\w-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g
  let match
  while ((match = tag.exec(source))) {
    const [, closing, name, , selfClosing] = match
    if (closing) {
      assert.equal(stack.pop(), name, `${where}: </${name}> closes the wrong tag`)
    } else if (!selfClosing && !VOID_TAGS.has(name)) {
      stack.push(name)
    }
  }
  assert.deepEqual(stack, [], `${where}: unclosed ${stack.join(', ')}`)
}

function loadDefinition(page) {
  let definition = null
  global.Page = (def) => {
    definition = def
  }
  global.getApp = () => ({ globalData: {} })
  const file = path.join(ROOT, `${page}.js`)
  delete require.cache[require.resolve(file)]
  require(file)
  return definition
}

test('WXML: tags closed, bindings closed, every handler defined on the page', () => {
  app.pages.forEach((page) => {
    const source = fs.readFileSync(path.join(ROOT, `${page}.wxml`), 'utf8')
    tagsBalanced(source, page)
    assert.equal(source.split('{{').length, source.split('}}').length, `${page}: {{ }} pairs`)
    const definition = loadDefinition(page)
    assert.ok(definition, `${page}.js calls Page()`)
    assert.equal(typeof definition.data, 'object')
    const handlers = [...source.matchAll(/\b(?:bind|catch|capture-bind|capture-catch)(?::)?(\w+)="([^"]+)"/g)]
    handlers.forEach(([, , name]) => assert.equal(typeof definition[name], 'function', `${page}: handler ${name}`))
  })
})

test('UI text is Chinese: no English words in what the pages show', () => {
  app.pages.forEach((page) => {
    const source = fs.readFileSync(path.join(ROOT, `${page}.wxml`), 'utf8')
    const text = source
      .replace(/<[^>]*>/g, ' ')
      .replace(/\{\{[^}]*\}\}/g, ' ')
    assert.doesNotMatch(text, /[A-Za-z]{2,}/, `${page}.wxml shows English text`)
    const placeholders = [...source.matchAll(/placeholder="([^"]*)"/g)].map((m) => m[1])
    placeholders.forEach((p) => assert.match(p, CHINESE, `${page}: placeholder "${p}"`))
  })
})

test('mini-program code requires only files of the project, by relative path', () => {
  files()
    .filter((f) => f.endsWith('.js'))
    .forEach((file) => {
      const source = fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => !line.trim().startsWith('//'))
        .join('\n')
      for (const [, target] of source.matchAll(/require\(['"]([^'"]+)['"]\)/g)) {
        assert.match(target, /^\.\.?\//, `${file}: require('${target}') must be relative`)
        assert.ok(fs.existsSync(path.resolve(path.dirname(file), target)), `${file}: ${target} exists`)
      }
    })
})

test('page data survives a setData round trip (plain JSON only)', () => {
  app.pages.forEach((page) => {
    const page_ = instantiate(loadDefinition(page), page)
    assert.deepEqual(JSON.parse(JSON.stringify(page_.data)), page_.data, page)
  })
})
