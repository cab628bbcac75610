const api = require('./utils/api.js')
const network = require('./utils/network.js')

App({
  // Follow the network (every page shows its state) and log in as soon as the mini-program
  // starts; pages wait for the same log-in through utils/api.js, which also logs in again
  // whenever the server answers 401.
  onLaunch() {
    network.watch()
    return api.traineeToken().catch(() => {
      // No network yet: the first page shows the error and offers to try again.
    })
  },

  globalData: {}
})
