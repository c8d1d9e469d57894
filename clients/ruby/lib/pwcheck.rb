# frozen_string_literal: true

require_relative "pwcheck/version"
require_relative "pwcheck/error"
require_relative "pwcheck/result"
require_relative "pwcheck/client"

# Client of the pwcheck compromised-password service. `require "pwcheck"` loads only the client (Ruby's standard
# library); the ActiveModel validator, PwcheckValidator, loads (with ActiveModel) the first time a model names it.
module Pwcheck
  class << self
    # The application's client, used by PwcheckValidator when it is given no client: set it once at boot,
    # e.g. in config/initializers/pwcheck.rb.
    attr_writer :client

    def client
      @client or raise Error, "Pwcheck.client is not set: set Pwcheck.client = Pwcheck::Client.new(url: ...) at boot"
    end
  end
end

# `validates :password, pwcheck: {...}` makes ActiveModel look up PwcheckValidator: load it then, not before.
autoload :PwcheckValidator, File.expand_path("pwcheck/validator", __dir__)
