# frozen_string_literal: true

require_relative "lib/pwcheck/version"

Gem::Specification.new do |spec|
  spec.name = "pwcheck"
  spec.version = Pwcheck::VERSION
  spec.authors = ["pwcheck contributors"]
  spec.summary = "Client for the pwcheck compromised-password service, with an ActiveModel validator"
  spec.description = "Asks a pwcheck service whether a password is breached (Have I Been Pwned's Pwned Passwords, " \
                     "by k-anonymity) and what a login, registration, reset or API-key flow should do about it. " \
                     "Plain Ruby (net/http); PwcheckValidator for ActiveModel loads only when a model uses it."
  spec.license = "MIT"
  spec.required_ruby_version = ">= 3.0"
  spec.metadata["rubygems_mfa_required"] = "true"

  spec.files = Dir.glob(["lib/**/*.rb", "lib/**/*.yml", "README.md"], base: __dir__).sort
  spec.require_paths = ["lib"]

  # No runtime dependencies: the client is the standard library only. The validator needs ActiveModel, which an
  # application using it already has.
  spec.add_development_dependency "activemodel", ">= 6.1", "< 9"
  spec.add_development_dependency "minitest", "~> 5.15"
end
